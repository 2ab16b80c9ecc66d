import 'reflect-metadata';
import { ConfigError, loadConfig, type AppConfig } from '#config';
import { startProcessWatchdog } from '#logging';
import { createWorker } from './bootstrap.js';

function configOrExit(): AppConfig {
  try {
    return loadConfig(process.env);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    process.stderr.write(`rectify worker: ${e.message}\n`);
    process.exit(1);
  }
}

const config = configOrExit();
startProcessWatchdog({ ...config.process, name: 'worker' });
await createWorker(config);
