import type { AptSource } from './apt-sources.js';
import type { RootfsBase } from './rootfs-base.js';

/**
 * Renders the rootfs's /etc/apt/sources.list: the base mirror and suite, then the `<suite>-updates` and
 * `<suite>-security` pockets, each only when the host's apt configuration has it, with the host's URI and components
 * for it. No archive is added that the host does not use.
 */
export function renderChrootSources(base: RootfsBase, hostSources: readonly AptSource[]): string {
  const lines = [`deb ${base.mirror} ${base.suite} ${base.components.join(' ')}`];

  for (const pocket of [`${base.suite}-updates`, `${base.suite}-security`]) {
    const source = hostSources.find((entry) => entry.types.includes('deb') && entry.suites.includes(pocket));
    const uri = source?.uris.find((candidate) => /^https?:\/\//i.test(candidate));

    if (source !== undefined && uri !== undefined) {
      const components = source.components.length > 0 ? source.components : base.components;

      lines.push(`deb ${uri.replace(/\/+$/, '')} ${pocket} ${components.join(' ')}`);
    }
  }

  return `${lines.join('\n')}\n`;
}
