/** What principals may do with a platform key: the action sets its grants and policies use. */

/**
 * Actions that manage a key without using it or destroying it: administrators
 * never read data, and never disable or delete the key (or its rotation, its
 * aliases, its imported material). `kms:CreateGrant` is left out on purpose,
 * since a grant is a way to use the key.
 */
export const KEY_ADMIN_ACTIONS = [
  "kms:CreateAlias",
  "kms:Describe*",
  "kms:Enable*",
  "kms:List*",
  "kms:Put*",
  "kms:Update*",
  "kms:Revoke*",
  "kms:Get*",
  "kms:TagResource",
  "kms:UntagResource",
  "kms:CancelKeyDeletion",
  "kms:RotateKeyOnDemand",
];
/**
 * What only the break-glass role may do besides administering: each makes
 * data unreadable (a disabled key, a deleted one after its window) or weakens
 * the key (rotation off, an alias pointed elsewhere, imported material gone).
 */
export const KEY_DESTRUCTIVE_ACTIONS = ["kms:Disable*", "kms:Delete*", "kms:ScheduleKeyDeletion"];
/**
 * What the account's IAM may still do on every key: read its metadata, so
 * AWS Config records the key and Security Hub evaluates its rotation
 * (through their service-linked roles' own policies), and operators can list
 * keys. Nothing here changes, disables or uses a key.
 */
export const KEY_ACCOUNT_READ_ACTIONS = ["kms:Describe*", "kms:Get*", "kms:List*"];
export const KEY_DECRYPT_ACTIONS = ["kms:Decrypt", "kms:DescribeKey"];
export const KEY_ENCRYPT_DECRYPT_ACTIONS = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"];
/**
 * Writing without reading: encrypt small secrets or locally made data keys,
 * make data keys whose plaintext is never returned, and re-wrap ciphertext
 * from another key into this one. None returns plaintext of what the key protects.
 */
export const KEY_ENCRYPT_ACTIONS = ["kms:Encrypt", "kms:GenerateDataKeyWithoutPlaintext", "kms:ReEncryptTo", "kms:DescribeKey"];
/** Actions that return, or re-wrap elsewhere, plaintext this key protects. */
export const PLAINTEXT_ACTIONS = ["kms:Decrypt", "kms:ReEncryptFrom"];

/** IAM action matching: case-insensitive, `*` for any run of characters and `?` for one. */
export function actionMatches(pattern: string, action: string): boolean {
  const source = pattern
    .split("")
    .map((c) => (c === "*" ? ".*" : c === "?" ? "." : c.replace(/[.+^${}()|[\]\\]/, "\\$&")))
    .join("");
  return new RegExp(`^${source}$`, "i").test(action);
}
