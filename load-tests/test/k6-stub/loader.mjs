// Node module hooks for checking the k6 scripts without k6: k6's built-in modules resolve to the
// stubs in this folder, the scripts load as ES modules (as k6 reads them), and each simulated VU
// gets its own instances of the scripts' modules: a relative import inherits its importer's
// `?vu=N`, just as every k6 VU runs its own copy of the script.
const STUBS = { k6: 'k6.js', 'k6/http': 'http.js', 'k6/encoding': 'encoding.js' };

export async function resolve(specifier, context, nextResolve) {
  if (specifier === 'k6' || specifier.startsWith('k6/')) {
    const file = STUBS[specifier];
    if (!file) {
      throw new Error(`no stub for '${specifier}': add one to load-tests/test/k6-stub/`);
    }
    return { url: new URL(file, import.meta.url).href, format: 'module', shortCircuit: true };
  }
  const resolved = await nextResolve(specifier, context);
  const url = new URL(resolved.url);
  const relative = specifier.startsWith('./') || specifier.startsWith('../');
  const vu = context.parentURL ? new URL(context.parentURL).searchParams.get('vu') : null;
  if (relative && vu !== null && !url.searchParams.has('vu')) {
    url.searchParams.set('vu', vu);
  }
  return { ...resolved, url: url.href, format: url.pathname.endsWith('.js') ? 'module' : resolved.format };
}
