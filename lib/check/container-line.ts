import type { Loose } from '../manifests/access';
import type { CommandLine, EnvEntry } from './command-line';
import type { VllmArgs } from './vllm-args';

/** One container of a workload's pod and the command line it runs. */
export interface ContainerLine {
  readonly name: string;
  /** The container as messages name it: `container 'vllm'`, with its template's path in a kind of several pods. */
  readonly where: string;
  readonly container: Loose;
  readonly line: CommandLine;
  readonly env: readonly EnvEntry[];
  /** vLLM's reading of the command line (`invoked` when it visibly starts vLLM's server). */
  readonly args: VllmArgs;
}
