/** `fetchkind/redis`: stores on Redis, for services that run as many replicas. */
export { type RedisCacheStoreOptions, redisCacheStore } from './redis/cache-store.ts'
export { type IoredisLike, type RedisCommands, type RedisOptions, redisCommands } from './redis/commands.ts'
export type { RedisSubscriber } from './redis/mirror.ts'
export { type RedisPolicyStoreOptions, redisPolicyStore } from './redis/policy-store.ts'
