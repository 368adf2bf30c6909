import { mapping, objectId, stringMap, text } from '../../manifests/access';
import { madeByController, operatorAccountOwner } from '../controller-accounts';
import { madeByScriptNote } from '../found-elsewhere';
import { Rule } from '../rule';
import { SERVICE_ACCOUNT_NAME_ANNOTATION } from '../../k8s/keys';

/** The Secret type the token controller fills, and the annotation naming its account (k8s.io/api/core/v1 types.go SecretTypeServiceAccountToken, ServiceAccountNameKey). */
const TOKEN_TYPE = 'kubernetes.io/service-account-token';

export const tokenSecretAccountMissing: Rule = {
  id: 'token-secret-account-missing',
  title: 'a service-account-token Secret names a ServiceAccount nothing creates: the token controller never fills it and deletes it',
  severity: 'error',
  appliesTo: ['Secret'],
  premise:
    'a Secret of type kubernetes.io/service-account-token whose annotation kubernetes.io/service-account.name names no ServiceAccount of the tree in its namespace; ' +
    'an error where the tree creates other ServiceAccounts in that namespace (it provisions the accounts of the namespace: this one was renamed or never made), else a warning (the account may be made outside the tree); ' +
    "not judged: default and the accounts a platform controller makes; one a script of the checked folder creates when it runs is a note; one an operator makes for a custom resource of the namespace by its known naming (the Grafana operator's `<Grafana>-sa`) is a warning naming the resource, since the Secret is deleted only when applied before the account exists",
  example:
    'a Secret `type: kubernetes.io/service-account-token` annotated `kubernetes.io/service-account.name: demo-setup` in a namespace whose ServiceAccount is `model-setup`',
  fix: 'name the ServiceAccount the Secret is for in kubernetes.io/service-account.name, or add that ServiceAccount to the tree',
  source:
    'kubernetes pkg/controller/serviceaccount/tokens_controller.go syncSecret: a token Secret whose service account does not exist is deleted ("service account does not exist, deleting token"), so no token, ca.crt or namespace key is ever written into it',
  check(o, { graph, platform }) {
    if (o.manifest.type !== TOKEN_TYPE) return [];
    const account = text(stringMap(mapping(o.manifest.metadata).annotations)[SERVICE_ACCOUNT_NAME_ANNOTATION]);
    const ns = graph.namespaceOf(o.manifest);
    if (!account || account.includes('$') || graph.find('ServiceAccount', account, ns) || madeByController(graph, account, ns ?? 'default', platform))
      return [];
    const script = graph.scriptCreating('ServiceAccount', account, ns);
    if (script)
      return [madeByScriptNote(`${SERVICE_ACCOUNT_NAME_ANNOTATION} '${account}'`, 'ServiceAccount', script, 'the token controller deletes the Secret')];
    const owner = operatorAccountOwner(graph, account, ns);
    if (owner)
      return [
        {
          severity: 'warning',
          message:
            `metadata.annotations.${SERVICE_ACCOUNT_NAME_ANNOTATION} '${account}': no ServiceAccount '${account}' is in the tree, but ${owner.operator} makes it for ${objectId(owner.object.manifest)}; ` +
            `the token controller deletes a token Secret whose ServiceAccount does not exist yet, so applied before the operator made the account it is gone: apply it after the account exists (a later sync wave, or again once the operator ran)`,
        },
      ];
    const others = graph
      .ofKind('ServiceAccount')
      .filter((a) => graph.namespaceOf(a.manifest) === ns)
      .map((a) => `'${text(mapping(a.manifest.metadata).name) ?? ''}'`);
    const where = ns ? `namespace '${ns}'` : 'the namespace it is applied to';
    const consequence = `the token controller deletes a token Secret whose ServiceAccount does not exist, so no token is ever written into it and whatever mounts or reads it fails`;
    return [
      others.length
        ? {
            message: `metadata.annotations.${SERVICE_ACCOUNT_NAME_ANNOTATION} '${account}': the tree creates ServiceAccount ${others.join(', ')} in ${where}, but not '${account}', and nothing else makes it: ${consequence}; name one of those accounts, or add ServiceAccount '${account}'`,
          }
        : {
            severity: 'warning',
            message: `metadata.annotations.${SERVICE_ACCOUNT_NAME_ANNOTATION} '${account}': no ServiceAccount '${account}' is in the tree in ${where}; unless it is made outside the tree, ${consequence}; add ServiceAccount '${account}' to the tree`,
          },
    ];
  },
};
