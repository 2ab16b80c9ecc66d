import 'reflect-metadata';
import { ConfigError, loadConfig, type AppConfig } from '#config';
import { startProcessWatchdog } from '#logging';
import { createApiApp } from './bootstrap.js';

function configOrExit(): AppConfig {
  try {
    return loadConfig(process.env);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`rectify api: ${e.message}\n`);
      process.exit(1);
    }
    throw e;
  }
}

const config = configOrExit();
startProcessWatchdog({ ...config.process, name: 'api' });
const app = await createApiApp(config);
await app.listen({ port: config.http.port, host: config.http.host });
