// Guards every npm script: the toolchain (vitest 5, msw 3, tsup 9) needs Node >= 22.19, and the
// project is tested on Node 24, which the `node` devDependency puts first on PATH inside npm
// scripts. Calling a tool directly (./node_modules/.bin/vitest) or installing with
// --ignore-scripts falls back to the machine's Node; say so plainly instead of failing obscurely.
const [major, minor] = process.versions.node.split('.').map(Number)
if (major < 22 || (major === 22 && minor < 19)) {
  console.error(
    `fetchkind: this script needs Node >= 22.19 (tested on 24), but it is running on Node ${process.versions.node}.\n` +
      'Run it through npm (npm test, npm run demo) after `npm ci`, which installs Node 24 as a devDependency\n' +
      'and puts it first on PATH. If `npm ci` ran with --ignore-scripts, run `npm rebuild node` first.',
  )
  process.exit(1)
}
