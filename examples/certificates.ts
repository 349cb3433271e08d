/**
 * Certificates for a local TLS upstream, made by the real `openssl` command: a CA, a server
 * certificate for 127.0.0.1 and localhost signed by it, one that expired, one for another name, a
 * self-signed one, and a client certificate for mTLS. EC keys: each made in milliseconds. Used by
 * examples/real-networks.ts and by the TLS, proxy and HTTP/2 tests (CI installs openssl: .ci/run).
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface KeyPair {
  readonly cert: string
  readonly key: string
}

export interface Certificates {
  readonly ca: string
  readonly server: KeyPair
  readonly expired: KeyPair
  readonly wrongHost: KeyPair
  readonly selfSigned: KeyPair
  readonly client: KeyPair
}

export function makeCertificates(): Certificates {
  const dir = mkdtempSync(join(tmpdir(), 'fetchkind-tls-'))
  const path = (name: string) => join(dir, name)
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' })
  const key = (name: string) =>
    openssl('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', path(name))
  try {
    key('ca.key')
    openssl(
      'req',
      '-x509',
      '-new',
      '-key',
      path('ca.key'),
      '-subj',
      '/CN=fetchkind test CA',
      '-days',
      '2',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
      '-out',
      path('ca.pem'),
    )
    writeFileSync(path('index.txt'), '')
    writeFileSync(path('serial'), '1000\n')
    writeFileSync(
      path('ca.cnf'),
      [
        '[ca]',
        'default_ca = test',
        '[test]',
        `dir = ${dir}`,
        `database = ${path('index.txt')}`,
        `new_certs_dir = ${dir}`,
        `serial = ${path('serial')}`,
        'default_md = sha256',
        'policy = any',
        'unique_subject = no',
        'copy_extensions = copy',
        '[any]',
        'commonName = supplied',
      ].join('\n'),
    )
    const signed = (name: string, subject: string, extensions: string, dates: [string, string]) => {
      key(`${name}.key`)
      writeFileSync(path(`${name}.ext`), extensions)
      openssl('req', '-new', '-key', path(`${name}.key`), '-subj', subject, '-out', path(`${name}.csr`))
      openssl(
        'ca',
        '-batch',
        '-config',
        path('ca.cnf'),
        '-cert',
        path('ca.pem'),
        '-keyfile',
        path('ca.key'),
        '-in',
        path(`${name}.csr`),
        '-out',
        path(`${name}.pem`),
        '-notext',
        '-startdate',
        dates[0],
        '-enddate',
        dates[1],
        '-extfile',
        path(`${name}.ext`),
      )
      return {
        cert: readFileSync(path(`${name}.pem`), 'utf8'),
        key: readFileSync(path(`${name}.key`), 'utf8'),
      }
    }
    const stamp = (offsetDays: number) =>
      `${new Date(Date.now() + offsetDays * 86_400_000).toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z`
    const valid: [string, string] = [stamp(-1), stamp(2)]
    const serverExtensions = 'subjectAltName = IP:127.0.0.1, DNS:localhost\nextendedKeyUsage = serverAuth\n'
    const server = signed('server', '/CN=localhost', serverExtensions, valid)
    const expired = signed('expired', '/CN=localhost', serverExtensions, [stamp(-30), stamp(-10)])
    const wrongHost = signed('wrong', '/CN=elsewhere.test', 'subjectAltName = DNS:elsewhere.test\n', valid)
    const client = signed('client', '/CN=fetchkind client', 'extendedKeyUsage = clientAuth\n', valid)
    key('self.key')
    openssl(
      'req',
      '-x509',
      '-new',
      '-key',
      path('self.key'),
      '-subj',
      '/CN=localhost',
      '-days',
      '2',
      '-addext',
      'subjectAltName = IP:127.0.0.1, DNS:localhost',
      '-out',
      path('self.pem'),
    )
    const selfSigned = {
      cert: readFileSync(path('self.pem'), 'utf8'),
      key: readFileSync(path('self.key'), 'utf8'),
    }
    return { ca: readFileSync(path('ca.pem'), 'utf8'), server, expired, wrongHost, selfSigned, client }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
