/**
 * A whole upper-case placeholder word of a value: REPLACE_ME, REPLACE_WITH_… and YOUR_… (the words after them say
 * what goes there: `vllm/vllm-openai:REPLACE_WITH_TESTED_VERSION`, `https://github.com/YOUR_USERNAME/YOUR_REPO`),
 * CHANGE_ME/CHANGEME, TODO and FIXME (alone, not in a name such as `TODO-list`), and PLACEHOLDER inside a capital name a script's sed replaces
 * (`VLLM_IMAGE_PLACEHOLDER`). Capitals only and whole words only: `ALL`, `IfNotPresent`, `v1.0-RC1`,
 * `Llama-3.1-8B-Instruct` and a lower-case `your-org` in prose are no placeholder. A whole value `replace-me` in lower
 * case is one too: no name, key or URL is spelled so (a lower-case `changeme` is left: it is also a default password
 * really deployed, which the credential rules judge).
 */
export const PLACEHOLDER_WORD =
  /^[Rr]eplace[-_]?[Mm]e$|(?<![A-Za-z0-9])(?:(?:REPLACE|YOUR)(?:[_-][A-Z0-9]+)+|REPLACEME|CHANGE[_-]?ME)(?![A-Za-z0-9])|(?<![\w-])(?:TODO|FIXME)(?![\w-])|(?<![A-Za-z])[A-Z0-9_]*PLACEHOLDER[A-Z0-9_]*(?![A-Za-z])/;

/**
 * A token a CI pipeline replaces in the file before it applies it: `__NAME__` (a `sed -i "s/__NAMESPACE__/…/g"` step,
 * the Azure DevOps Replace Tokens task with its `__` prefix and suffix) or `#{Name}#` (that task's default pattern,
 * qetza/replacetokens-task). The name starts with a capital: `__init__` and other Python dunders are text. A `__NAME__`
 * counts only as a whole value or a segment of it set apart by characters no identifier holds (`app-__ENV__`,
 * `__REGISTRY__/server`): inside an identifier it is a separator, as in the double-underscore nesting of settings read
 * from the environment (`QDRANT__SERVICE__API_KEY` sets service.api_key: Qdrant's config, pydantic-settings'
 * env_nested_delimiter), which no pipeline replaces.
 */
export const CI_TOKEN = /(?<![A-Za-z0-9_])__[A-Z][A-Za-z0-9_]*?[A-Za-z0-9]__(?![A-Za-z0-9_])|#\{[A-Za-z_][\w.-]*\}#/;

/**
 * An image written as one upper-case identifier (`IMAGE_NAME`, `IMAGE`, `MY_IMAGE`): no image reference admits it (a
 * repository name is lower case: distribution/reference, "repository name must be lowercase"), so it is a guide's
 * slot for the image its reader builds or picks, not a mistyped reference. A mixed-case name (`Nginx:latest`) or
 * one with a tag or a path is a reference, judged as one.
 */
export const CAPITAL_IMAGE = /^[A-Z][A-Z0-9]*(?:_+[A-Z0-9]+)*$/;

/**
 * An `image:` of a manifest's line whose whole value is a CAPITAL_IMAGE, quoted or not, in a block or a flow mapping
 * (`image: IMAGE_NAME`, `{name: c, image: IMAGE}`): the identifier in group 2.
 */
export const CAPITAL_IMAGE_LINE = /(?:^|[\s{,])image:\s*(["']?)([A-Z][A-Z0-9]*(?:_+[A-Z0-9]+)*)\1\s*(?=[,}]|$)/;

/** A value that is one upper-case identifier with `_` (`GCS_BUCKET`, `NFS_SERVER_IP`): no bucket or host name admits it. */
export const CAPITAL_SLOT = /^[A-Z][A-Z0-9]*(?:_+[A-Z0-9]+)+$/;

/**
 * A line whose value is a CAPITAL_SLOT (`bucketName: GCS_BUCKET`, `server: NFS_SERVER_IP`) under
 * a key naming where a volume is mounted from: no bucket or host name admits it, so it is a slot its reader fills.
 * The identifier in group 2.
 */
export const CAPITAL_SLOT_LINE =
  /(?:^|[\s{,])[A-Za-z]*(?:[Bb]ucket|[Ss]erver|[Hh]ost|[Ss]hare|[Aa]ccount|[Ff]ile[Ss]ystem|[Ee]ndpoint)[A-Za-z]*:\s*(["']?)([A-Z][A-Z0-9]*(?:_+[A-Z0-9]+)+)\1\s*(?=[,}]|$)/;
