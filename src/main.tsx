import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.tsx';
import { startWithLink } from './app/share/link.ts';
import { installTestHook } from './app/testHook.ts';
import './app/styles.css';

installTestHook(window);
void startWithLink(window.location.hash, window.location.search);

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
