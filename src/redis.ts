/** `fetchkind/redis`: stores on Redis, for services that run as many replicas. */
export { type RedisCommands, type RedisStoreOptions, redisStore } from './redis/cache-store.ts'
