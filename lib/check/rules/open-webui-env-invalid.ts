import { Loose, mappings, text } from '../../manifests/access';
import { editDistance } from '../../private/edit-distance';
import { containersOf, WORKLOAD_KINDS } from '../pods';
import { Problem, Rule } from '../rule';

/** Open WebUI's image (ghcr.io/open-webui/open-webui and its :cuda, :main tags); the :ollama tags bundle an Ollama server. */
const OPEN_WEBUI_IMAGE = /(^|\/)open-webui\/open-webui([:@]|$)/;

/**
 * The URL variables of Open WebUI's model connections (backend/open_webui/config.py: OLLAMA_BASE_URL,
 * OLLAMA_BASE_URLS and the older OLLAMA_API_BASE_URL, whose /api it strips; OPENAI_API_BASE_URL, OPENAI_API_BASE_URLS):
 * the only OLLAMA_* and OPENAI_* URL names it reads.
 */
const CONNECTION_URLS = ['OLLAMA_BASE_URL', 'OLLAMA_BASE_URLS', 'OLLAMA_API_BASE_URL', 'OPENAI_API_BASE_URL', 'OPENAI_API_BASE_URLS'];

/** A URL-like name of the two connection families: what a misspelt connection variable looks like. */
const URL_LIKE = /^(OLLAMA|OPENAI)_[A-Z0-9_]*(URL|URLS|BASE|HOST|ENDPOINT|API)$/;

/** What Open WebUI connects to where no connection URL is set (config.py defaults). */
const DEFAULT_OF: Readonly<Record<string, string>> = {
  OLLAMA: 'its default Ollama address (http://localhost:11434, or http://host.docker.internal:11434 in its image)',
  OPENAI: 'https://api.openai.com/v1, with the key it is given',
};

/** The variable Open WebUI reads that the name most likely meant: of its family, the nearest by edits. */
function meant(name: string): string {
  const family = CONNECTION_URLS.filter((c) => c.split('_')[0] === name.split('_')[0] && !(c === 'OLLAMA_API_BASE_URL'));
  return family.reduce((best, c) => (editDistance(name, c) < editDistance(name, best) ? c : best), family[0]);
}

/** The path of an http(s) URL without its trailing slashes; undefined where the value is no such URL. */
function pathOf(url: string): string | undefined {
  try {
    const u = new URL(url);
    return /^https?:$/.test(u.protocol) ? u.pathname.replace(/\/+$/, '') : undefined;
  } catch {
    return undefined;
  }
}

function containerProblems(name: string, container: Loose): Problem[] {
  const image = text(container.image) ?? '';
  // the :ollama tags run Ollama beside Open WebUI, which reads OLLAMA_* names of its own
  const bundled = /:ollama/.test(image);
  return mappings(container.env).flatMap((e): Problem[] => {
    const variable = text(e.name) ?? '';
    const value = text(e.value);
    if ((variable === 'OLLAMA_BASE_URL' || variable === 'OLLAMA_BASE_URLS') && value && !value.includes('$')) {
      const wrong = value
        .split(';')
        .map((u) => u.trim())
        .filter((u) => /(^|\/)api$/.test(pathOf(u) ?? ''));
      if (wrong.length)
        return [
          {
            message:
              `container '${name}' sets ${variable}=${value}, whose URL ${wrong[0]} ends in /api: Open WebUI appends /api/tags, /api/chat and /api/version to the base URL itself (backend/open_webui/routers/ollama.py), ` +
              `so it asks ${wrong[0].replace(/\/+$/, '')}/api/tags and Ollama answers 404: no model is listed; give the server's root (${wrong[0].replace(/\/api\/*$/, '')})`,
          },
        ];
    }
    if (CONNECTION_URLS.includes(variable) || !URL_LIKE.test(variable) || (bundled && variable.startsWith('OLLAMA_'))) return [];
    const family = variable.split('_')[0];
    return [
      {
        severity: 'warning',
        message:
          `container '${name}' (${image}) sets env ${variable}, which Open WebUI does not read (backend/open_webui/config.py reads ${meant(variable)}): its ${family === 'OLLAMA' ? 'Ollama' : 'OpenAI'} connection goes to ${DEFAULT_OF[family]}; ` +
          `rename it ${meant(variable)}`,
      },
    ];
  });
}

export const openWebuiEnvInvalid: Rule = {
  id: 'open-webui-env-invalid',
  title:
    'Open WebUI is given an Ollama URL ending in /api (it appends /api/… itself: 404), or a connection URL variable it does not read (OPENAI_BASE_URL for OPENAI_API_BASE_URL: the connection goes to the default)',
  severity: 'error',
  appliesTo: [...WORKLOAD_KINDS],
  scope: 'object',
  premise:
    "a container of Open WebUI's image (ghcr.io/open-webui/open-webui) whose env sets OLLAMA_BASE_URL or OLLAMA_BASE_URLS (each ;-separated URL) to an http(s) URL whose path is /api or ends in /api: an error (Open WebUI adds /api/tags, /api/chat itself, and Ollama answers 404); " +
    'or sets a URL-like name of the connection families (OLLAMA_… or OPENAI_… ending in URL, URLS, BASE, HOST, ENDPOINT or API) that is none of the connection URLs config.py reads (OLLAMA_BASE_URL, OLLAMA_BASE_URLS, OLLAMA_API_BASE_URL, OPENAI_API_BASE_URL, OPENAI_API_BASE_URLS): a warning naming the one it reads (the connection then goes to its default); OLLAMA_* names are not judged on the :ollama tags, which run an Ollama server beside it. Values holding a variable ($) are not judged',
  example: '`name: OLLAMA_BASE_URL` with `value: http://ollama.ai.svc:11434/api` on a ghcr.io/open-webui/open-webui container',
  fix: "give OLLAMA_BASE_URL the Ollama server's root (http://ollama:11434), and name the OpenAI connection OPENAI_API_BASE_URL",
  source:
    'open-webui/open-webui backend/open_webui/config.py (OLLAMA_BASE_URL, OLLAMA_BASE_URLS split on ";", OLLAMA_API_BASE_URL with its /api stripped; OPENAI_API_BASE_URL defaulting to https://api.openai.com/v1, OPENAI_API_BASE_URLS, OPENAI_API_KEY(S)) and backend/open_webui/routers/ollama.py (requests to f"{url}/api/tags", f"{url}/api/version", f"{url}/api/chat")',
  check(o) {
    return containersOf(o.manifest)
      .filter((c) => OPEN_WEBUI_IMAGE.test(text(c.container.image) ?? ''))
      .flatMap((c) => containerProblems(c.name, c.container));
  },
};
