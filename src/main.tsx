import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.tsx';
import { boot } from './app/boot.ts';
import { installTestHook } from './app/testHook.ts';
import { registerServiceWorker, wantsServiceWorker } from './app/base/serviceWorker.ts';
import { reportMeta } from './app/base/report.ts';
import './app/styles.css';

installTestHook(window);
if (reportMeta() === null && wantsServiceWorker(import.meta.env.PROD, navigator.webdriver, window.location.search, window.location.hash)) registerServiceWorker(window);
void boot(window.location.hash, window.location.search);

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
