import * as path from 'path';
import { runEachFile } from './setup/drop-in';

// the serving suites, test/serving/<name>.ts, run as one suite (test/setup/drop-in.ts): a new one is a new file there
runEachFile(path.join(__dirname, 'serving'));
