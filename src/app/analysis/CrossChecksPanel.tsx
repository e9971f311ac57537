// Cross-checks: the dump against /proc/meminfo (VmallocTotal, VmallocUsed, VmallocChunk) and
// /proc/modules (each module's loader areas against lsmod's size), when the user supplied them.

import { useMemo } from 'react';
import { attributeModules, checkMeminfo, formatBytes, fragmentation } from '../../lib/index.ts';
import type { MeminfoEntry, Model, ModuleEntry, ModuleFootprint } from '../../lib/index.ts';
import { useStore } from '../state/store.ts';
import { modulesKnownEmpty } from './attach.ts';
import { attributionOf } from '../state/attribution.ts';
import { showModuleAreas, zoomToArea } from './actions.ts';
import { loaderAreaOf, moduleStatus } from './checks.ts';
import { Signed, ZoomButton } from './parts.tsx';
import { captureOf } from '../state/select.ts';

function Verdict({ ok, children }: { ok: boolean | null; children: string }) {
  const cls = ok === null ? 'verdict' : ok ? 'verdict is-ok' : 'verdict is-off';
  return <span className={cls}>{children}</span>;
}

function MeminfoTable({ model, meminfo }: { model: Model; meminfo: MeminfoEntry[] }) {
  const m = useMemo(() => checkMeminfo(model, meminfo), [model, meminfo]);
  const largestFree = useMemo(() => fragmentation(model).largest?.bytes ?? null, [model]);
  const value = (v: number | null) => (v === null ? '—' : formatBytes(v));
  return (
    <div className="checks-meminfo">
      <table className="table analysis-table" data-testid="meminfo-check">
        <caption>/proc/meminfo against the dump</caption>
        <thead>
          <tr>
            <th scope="col">/proc/meminfo says</th>
            <th scope="col" className="num">Value</th>
            <th scope="col">The dump shows</th>
            <th scope="col" className="num">Value</th>
            <th scope="col">Agree?</th>
          </tr>
        </thead>
        <tbody>
          <tr data-testid="check-vmalloc-total">
            <th scope="row">VmallocTotal</th>
            <td className="num">{value(m.vmallocTotal)}</td>
            <td>size of the detected vmalloc region</td>
            <td className="num">{value(m.detectedRange)}</td>
            <td>
              <Verdict ok={m.totalMatches}>{m.totalMatches === null ? 'cannot tell' : m.totalMatches ? 'yes' : 'no'}</Verdict>
            </td>
          </tr>
          <tr data-testid="check-vmalloc-used">
            <th scope="row">VmallocUsed</th>
            <td className="num">{value(m.vmallocUsed)}</td>
            <td>pages= × 4 KiB over vmalloc areas</td>
            <td className="num">{formatBytes(m.vmallocPagesBytes)}</td>
            <td>
              {m.vmallocUsed === null ? (
                <Verdict ok={null}>cannot tell</Verdict>
              ) : (
                <Verdict ok={m.vmallocUsed === m.vmallocPagesBytes}>{m.vmallocUsed === m.vmallocPagesBytes ? 'yes' : `off by ${formatBytes(Math.abs(m.vmallocUsed - m.vmallocPagesBytes))}`}</Verdict>
              )}
            </td>
          </tr>
          <tr>
            <th scope="row">VmallocChunk</th>
            <td className="num">{value(m.vmallocChunk)}</td>
            <td>largest free stretch of the vmalloc range (see Fragmentation)</td>
            <td className="num">{largestFree === null ? '—' : formatBytes(largestFree)}</td>
            <td>
              <Verdict ok={null}>{m.vmallocChunk === 0 ? 'not reported since 4.4' : 'informational'}</Verdict>
            </td>
          </tr>
        </tbody>
      </table>
      {m.notes.length > 0 && (
        <ul className="analysis-notes" data-testid="meminfo-notes">
          {m.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

function ModuleRow({ model, f }: { model: Model; f: ModuleFootprint }) {
  const loader = loaderAreaOf(model, f);
  const status = moduleStatus(f);
  // One area (up to 6.3): zoom to it; several (its sections since 6.4): highlight them all.
  const zoom = () => {
    if (loader === null) return;
    if (f.loaderAreas.length > 1) showModuleAreas(f.name, f.loaderAreas, f.textArea);
    else zoomToArea(loader);
  };
  return (
    <tr className={loader !== null ? 'is-clickable' : undefined} onClick={zoom} data-name={f.name}>
      <th scope="row">
        {loader !== null ? (
          <ZoomButton onZoom={zoom} label={`Show ${f.name}'s loader ${f.loaderAreas.length > 1 ? 'areas' : 'area'} on the map`}>
            {f.name}
          </ZoomButton>
        ) : (
          f.name
        )}
      </th>
      <td className="num">{formatBytes(f.lsmodSize)}</td>
      <td className="num">{f.loaderBytes > 0 ? formatBytes(f.loaderBytes) : '—'}</td>
      <td className="num">{formatBytes(f.expectedLoaderBytes)}</td>
      <td className="num">{f.taggedBytes > 0 ? formatBytes(f.taggedBytes) : '—'}</td>
      <td>{f.address ? <code className="hex">{f.address}</code> : <span className="muted">hidden</span>}</td>
      <td title={f.note}>
        <Verdict ok={status.ok}>{status.text}</Verdict>
        {status.delta !== 0 && (
          <>
            {' '}
            <Signed bytes={status.delta} />
          </>
        )}
      </td>
    </tr>
  );
}

function ModulesTable({ model, modules }: { model: Model; modules: ModuleEntry[] }) {
  const att = useMemo(() => attributionOf(model, modules) ?? attributeModules(model, modules), [model, modules]);
  return (
    <div className="checks-modules">
      <table className="table analysis-table" data-testid="modules-check">
        <caption>
          /proc/modules against the dump
          <span className="caption-note">
            A module’s loader areas (one per module up to 6.3; since 6.4 one per section: text, data, rodata,
            ro_after_init) should hold lsmod’s size rounded up to pages, plus one guard page each. Click a module to see its loader areas on the map.
          </span>
        </caption>
        <thead>
          <tr>
            <th scope="col">Module</th>
            <th scope="col" className="num" title="The size column of /proc/modules (lsmod)">lsmod size</th>
            <th scope="col" className="num" title="Size column of the module's loader areas (load_module, module_alloc, execmem_alloc …): the one holding its base address and, since 6.4, its other sections' areas, found by their sizes adding up to lsmod's">Loader areas</th>
            <th scope="col" className="num" title="lsmod size rounded up to pages, plus one guard page per loader area">Expected</th>
            <th scope="col" className="num" title="Areas tagged [module]: what the module allocated at run time">Run-time</th>
            <th scope="col">Address</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {att.modules.map((f) => (
            <ModuleRow key={f.name} model={model} f={f} />
          ))}
        </tbody>
      </table>
      {att.notes.length > 0 && (
        <ul className="analysis-notes" data-testid="modules-notes">
          {att.notes.filter((n) => !n.endsWith('possible leak after rmmod.')).map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      )}
      {att.orphanTags.length > 0 && (
        <p className="analysis-warning" data-testid="orphan-tags">
          <strong>Possible leaks:</strong> {att.orphanTags.map((o) => `${o.module} (${o.areas.length} areas, ${formatBytes(o.bytes)})`).join(', ')}: areas tagged with a module
          that /proc/modules does not list. It was unloaded, but what it allocated is still mapped.
        </p>
      )}
    </div>
  );
}

/** The Cross-checks tab. */
export function CrossChecksPanel() {
  const model = useStore((s) => s.model);
  const capture = useStore((s) => captureOf(s));
  if (!model) return null;
  const meminfo = capture?.meminfo ?? [];
  const modules = capture?.modules ?? [];
  const noModulesLoaded = modulesKnownEmpty(capture);
  if (meminfo.length === 0 && modules.length === 0 && !noModulesLoaded) {
    return (
      <p className="hint" data-testid="checks-empty">
        No /proc/meminfo or /proc/modules for this dump. Open, drop or paste the output of <code>cat /proc/meminfo</code> or{' '}
        <code>sudo cat /proc/modules</code> (taken at the same moment) and it is attached to the dump on screen; a combined{' '}
        <code>cat /proc/vmallocinfo /proc/meminfo /proc/modules</code> works too. The raw x86_64 and arm64 samples come with theirs.
      </p>
    );
  }
  return (
    <div className="checks-panel">
      {meminfo.length > 0 ? <MeminfoTable model={model} meminfo={meminfo} /> : <p className="hint">No /proc/meminfo attached.</p>}
      {modules.length > 0 ? (
        <ModulesTable model={model} modules={modules} />
      ) : noModulesLoaded ? (
        <p className="hint" data-testid="modules-empty">
          /proc/modules is empty: no module was loaded when it was read.
        </p>
      ) : (
        <p className="hint">No /proc/modules attached.</p>
      )}
    </div>
  );
}
