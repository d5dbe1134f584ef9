import { Rule } from "../../../compliance/rule";
import { eksAccessEntries } from "./access-entries";
import { eksControlPlaneLogging } from "./control-plane-logging";
import { eksPrivateEndpoint } from "./private-endpoint";
import { eksSecretsEncryption } from "./secrets-encryption";

export const eksRules: Rule[] = [eksPrivateEndpoint, eksSecretsEncryption, eksControlPlaneLogging, eksAccessEntries];
