/** The examples' certificates (examples/certificates.ts), made by openssl for each test file. */
export * from '../../examples/certificates.ts'
