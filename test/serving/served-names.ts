import { servedNamesOf } from '../../lib/check/served-names';
import { VllmArgs } from '../../lib/check/vllm-args';

// vLLM answers to --served-model-name's every name (nargs='+'), else the model, and to each --lora-modules adapter
// (vllm/entrypoints/openai/cli_args.py: LoRAParserAction takes name=path or a JSON object).
const names = (...words: string[]) => servedNamesOf(VllmArgs.of(['vllm', 'serve', ...words]));

describe('servedNamesOf', () => {
  test.each([
    ['the model when no name is given', ['org/model'], ['org/model']],
    ['--model=', ['--model=org/model', '--port', '8000'], ['org/model']],
    ['every name of the list', ['org/model', '--served-model-name', 'a', 'b', '--port', '8000'], ['a', 'b']],
    ['the attached form', ['org/model', '--served-model-name=a'], ['a']],
    ['LoRA adapters, name=path and JSON', ['org/model', '--enable-lora', '--lora-modules', 'x=/p', '{"name": "y", "path": "/q"}'], ['org/model', 'x', 'y']],
  ])('%s', (_, words, expected) => {
    expect(names(...words)).toEqual(expected);
  });

  test.each([
    ['a variable', ['org/model', '--served-model-name', '$(NAME)']],
    ['an unread config file', ['--config', 'conf.yaml']],
    ['an adapter entry without a name', ['org/model', '--lora-modules', '/adapters/x']],
  ])('unknown under %s', (_, words) => {
    expect(names(...words)).toBeUndefined();
  });
});
