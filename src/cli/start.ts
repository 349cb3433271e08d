/**
 * The command's first module. Node's compile cache goes on before anything else is loaded, so
 * that a second run takes the compiled code from disk rather than compiling it again; then the
 * command itself (main.ts), imported after it, as static imports would be loaded before.
 */
import { enableCompileCache } from 'node:module'

enableCompileCache?.()
await import('./main.ts')
