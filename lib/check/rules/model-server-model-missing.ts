import { text } from '../../manifests/access';
import { MODEL_SERVERS, modelNotGiven, runningServer } from '../model-servers';
import { SERVICE_BACKEND_KINDS } from '../pods';
import { MULTI_POD_KINDS } from '../pod-templates';
import { Problem, Rule } from '../rule';
import { workloadVllmLines } from '../workload-lines';

const NEEDING = MODEL_SERVERS.filter((s) => s.model);

export const modelServerModelMissing: Rule = {
  id: 'model-server-model-missing',
  title: 'a model server that needs a model argument (SGLang --model-path, Triton --model-repository, llama.cpp -m/-hf) is started with none',
  severity: 'error',
  appliesTo: [...SERVICE_BACKEND_KINDS, ...MULTI_POD_KINDS],
  premise:
    `a container starts one of ${NEEDING.map((s) => s.name).join(', ')} (its program, or its image's entrypoint given args alone) and its fully known words name no model, nor does its env: ` +
    "SGLang's ServerArgs.model_path has no default, so argparse exits asking for --model-path (unless --config hands it a file of arguments); tritonserver exits when --model-repository is not given; " +
    'llama-server given no -m/--model, -hf/--hf-repo, -mu/--model-url, --models-dir or their LLAMA_ARG_* variables looks for models/7B/ggml-model-f16.gguf in builds before its router mode and exits, and in later builds starts a router with no model. ' +
    'An error for SGLang and Triton; a warning for llama.cpp (it depends on the build, and a derived image may set LLAMA_ARG_MODEL). Words from a variable are not judged',
  example: '`command: [tritonserver, --http-port=8000, --strict-readiness=true]` with no `--model-repository`',
  fix: 'name the model: --model-path <hub id or folder> (SGLang), --model-repository=<path> (Triton), -m /models/<file>.gguf or -hf <repo> (llama.cpp)',
  source: `each server's own argument parser, named in lib/check/model-servers.ts: ${NEEDING.map((s) => s.source).join('; ')}`,
  check(o) {
    return workloadVllmLines(o.manifest).flatMap((c): Problem[] => {
      if (c.args.invoked) return [];
      const running = runningServer(c.line, c.env, text(c.container.image));
      const missing = running && modelNotGiven(running, c.env);
      if (!running || !missing) return [];
      return [
        {
          ...(missing.without === 'depends' ? { severity: 'warning' as const } : {}),
          message: `${c.where} starts ${running.server.name} with no model (no ${missing.flags}): it ${missing.says}; name the model it should serve`,
        },
      ];
    });
  },
};
