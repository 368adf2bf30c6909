import { containersOf } from '../graph';
import { error, Rule, RuleResult, warning } from '../rule';

const CREDENTIAL_NAME = /(SECRET|PASSWORD|PASSWD|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIAL)/i;
const CREDENTIAL_VALUE = /(AKIA[0-9A-Z]{16}|ASIA[0-9A-Z]{16}|hf_[A-Za-z0-9]{30,}|-----BEGIN [A-Z ]*PRIVATE KEY-----|sk-[A-Za-z0-9]{20,})/;
const CREDENTIAL_JSON = /"(secret_access_key|access_key_id|password|token)"\s*:\s*"[^"]+"/;

/** Credentials written into manifests, where every reader of the Git repository sees them. */
export const plaintextSecret: Rule = {
  id: 'plaintext-secret',
  title: 'credentials appear as literals: an env value, an argument, or a Secret committed with data',
  check({ graph }) {
    const out: RuleResult[] = [];
    for (const o of graph.objects) {
      for (const { name, container } of containersOf(o.manifest)) {
        for (const e of container.env ?? []) {
          if (typeof e.value !== 'string' || !e.value) continue;
          if (CREDENTIAL_NAME.test(e.name) && !/_(FILE|PATH|DIR|ENDPOINT|URL|NAME)$/i.test(e.name) || CREDENTIAL_VALUE.test(e.value)) {
            out.push(error(o, `container '${name}' sets env ${e.name} to a literal value; move it into a Secret and use valueFrom.secretKeyRef`));
          }
        }
        for (const a of [...(container.args ?? []), ...(container.command ?? [])]) {
          if (typeof a === 'string' && (CREDENTIAL_VALUE.test(a) || /--(api-key|hf-token|token|password)=\S+/.test(a))) {
            out.push(error(o, `container '${name}' passes a credential on the command line (${a.split('=')[0]}…); read it from an environment variable set from a Secret`));
          }
        }
      }
      if (o.manifest.kind === 'Secret') {
        const entries = { ...o.manifest.data, ...o.manifest.stringData };
        const decoded = (k: string) => (o.manifest.stringData?.[k] ?? Buffer.from(String(o.manifest.data?.[k] ?? ''), 'base64').toString('utf8'));
        const leaking = Object.keys(entries).filter((k) => CREDENTIAL_NAME.test(k) || CREDENTIAL_JSON.test(decoded(k)) || CREDENTIAL_VALUE.test(decoded(k)));
        if (leaking.length) {
          out.push(error(o, `holds credentials in ${leaking.join(', ')} in plain text (base64 is an encoding, not encryption); keep the Secret out of Git and create it with External Secrets, Sealed Secrets or the dashboard`));
        }
      }
    }
    return out;
  },
};

/** Images referenced by a tag that can move: every sync may run different bytes. */
export const imageNotPinned: Rule = {
  id: 'image-not-pinned',
  title: 'a container image is referenced by a mutable tag instead of a digest',
  check({ graph }) {
    const out: RuleResult[] = [];
    for (const o of graph.objects) {
      // an InferenceService runs its runtime's image unless it sets one itself
      const containers = o.manifest.kind === 'InferenceService'
        ? (o.manifest.spec?.predictor?.model?.image ? [{ name: 'kserve-container', container: o.manifest.spec.predictor.model }] : [])
        : containersOf(o.manifest);
      for (const { name, container } of containers) {
        const image = container.image;
        if (typeof image !== 'string' || /@sha256:[a-f0-9]{64}$/.test(image)) continue;
        out.push(warning(o, `container '${name}' uses ${image}, a tag that can point at other bytes tomorrow; pin it by digest (image@sha256:…) so that every sync runs the image that was reviewed`));
      }
    }
    return out;
  },
};

export const SECURITY_RULES = [plaintextSecret, imageNotPinned];
