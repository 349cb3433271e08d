// `npm run size`: what the package weighs, packed and unpacked, beside the peers' current majors
// as npm packs them (their own files, without their dependencies), in one run.
import { execFileSync } from 'node:child_process'

const PEERS = ['ky@2', 'got@16', 'ofetch@1', 'axios@1', 'undici@8']

/** npm's own account of a tarball: for `.` the package as it would be published. */
function packed(spec) {
  const [report] = JSON.parse(
    execFileSync('npm', ['pack', spec, '--dry-run', '--json', '--ignore-scripts'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }),
  )
  return report
}

const kib = (bytes) => `${(bytes / 1024).toFixed(0).padStart(5)} KiB`
for (const spec of ['.', ...PEERS]) {
  const { name, version, size, unpackedSize, entryCount } = packed(spec)
  console.log(
    `${`${name}@${version}`.padEnd(18)} packed ${kib(size)}  unpacked ${kib(unpackedSize)}  ${entryCount} files`,
  )
}
