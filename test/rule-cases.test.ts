import * as path from 'path';
import { runEachFile } from './setup/drop-in';

/**
 * The cases of one rule each, test/rule-cases/<rule-id>.ts, run as one suite (test/setup/drop-in.ts). A new rule's
 * cases go in a new file of that folder: nothing here lists them.
 */
runEachFile(path.join(__dirname, 'rule-cases'));
