/**
 * The URL of a module beside the caller, with the caller's own extension: `./worker.ts` when running
 * from the TypeScript sources (tsx), `./worker.js` when running from the build in dist/ (the
 * `siambench` command), where no .ts file exists.
 */
export function siblingModule(name: string, callerUrl: string): URL {
  return new URL(callerUrl.endsWith('.js') ? name.replace(/\.ts$/, '.js') : name, callerUrl);
}
