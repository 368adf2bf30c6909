import { podWorkload, ruleFindings } from '../util';

/** An Open WebUI Deployment `assistants/chat-ui` with the env given. */
const ui = (env: { name: string; value: string }[], image = 'ghcr.io/open-webui/open-webui:v0.6.18') =>
  podWorkload('chat-ui', 'assistants', { containers: [{ name: 'app', image, env }] });
const found = (env: { name: string; value: string }[], image?: string) => ruleFindings('open-webui-env-invalid', [ui(env, image)]);

describe('open-webui-env-invalid', () => {
  test('an Ollama URL ending in /api: an error naming the doubled path and the root to give', () => {
    expect(found([{ name: 'OLLAMA_BASE_URL', value: 'http://ollama.ai.svc:11434/api' }])).toEqual([
      "error Deployment/assistants/chat-ui: container 'app' sets OLLAMA_BASE_URL=http://ollama.ai.svc:11434/api, whose URL http://ollama.ai.svc:11434/api ends in /api: " +
        'Open WebUI appends /api/tags, /api/chat and /api/version to the base URL itself (backend/open_webui/routers/ollama.py), so it asks http://ollama.ai.svc:11434/api/api/tags and Ollama answers 404: ' +
        "no model is listed; give the server's root (http://ollama.ai.svc:11434)",
    ]);
  });

  test('one URL of OLLAMA_BASE_URLS (;-separated), a trailing slash, and a path ending in /api are judged too', () => {
    expect(found([{ name: 'OLLAMA_BASE_URLS', value: 'http://a:11434;http://b:11434/api/' }])).toEqual([
      expect.stringMatching(/^error .*sets OLLAMA_BASE_URLS=.*whose URL http:\/\/b:11434\/api\/ ends in \/api: .*root \(http:\/\/b:11434\)$/),
    ]);
    expect(found([{ name: 'OLLAMA_BASE_URL', value: 'https://gw.example.com/ollama/api' }])).toHaveLength(1);
  });

  test('a connection URL under a name Open WebUI does not read: a warning naming the variable it reads and where the connection goes', () => {
    expect(found([{ name: 'OPENAI_BASE_URL', value: 'http://gateway:4000/v1' }])).toEqual([
      "warning Deployment/assistants/chat-ui: container 'app' (ghcr.io/open-webui/open-webui:v0.6.18) sets env OPENAI_BASE_URL, which Open WebUI does not read (backend/open_webui/config.py reads OPENAI_API_BASE_URL): " +
        'its OpenAI connection goes to https://api.openai.com/v1, with the key it is given; rename it OPENAI_API_BASE_URL',
    ]);
    expect(found([{ name: 'OLLAMA_HOST', value: 'http://ollama:11434' }])).toEqual([
      expect.stringMatching(/^warning .*sets env OLLAMA_HOST, .*reads OLLAMA_BASE_URL\): its Ollama connection goes to its default/),
    ]);
  });

  test.each([
    ['the root URL', [{ name: 'OLLAMA_BASE_URL', value: 'http://ollama:11434' }]],
    ['the legacy OLLAMA_API_BASE_URL, whose /api Open WebUI strips', [{ name: 'OLLAMA_API_BASE_URL', value: 'http://ollama:11434/api' }]],
    ['a path that only contains api', [{ name: 'OLLAMA_BASE_URL', value: 'http://gw/apis/ollama' }]],
    ['a value from a variable', [{ name: 'OLLAMA_BASE_URL', value: '$(OLLAMA_URL)/api' }]],
    [
      'the names it reads',
      [
        { name: 'OPENAI_API_BASE_URLS', value: 'http://a/v1;http://b/v1' },
        { name: 'OPENAI_API_KEY', value: 'k' },
      ],
    ],
  ])('near miss, %s: silent', (_, env) => {
    expect(found(env)).toEqual([]);
  });

  test("near miss: OLLAMA_HOST on the :ollama tag, whose bundled Ollama reads it; another image's env", () => {
    expect(found([{ name: 'OLLAMA_HOST', value: '0.0.0.0:11434' }], 'ghcr.io/open-webui/open-webui:ollama')).toEqual([]);
    expect(found([{ name: 'OLLAMA_BASE_URL', value: 'http://ollama:11434/api' }], 'registry.example.com/other-ui:1.0')).toEqual([]);
  });
});
