import { Rule } from "../../../compliance/rule";
import { eksAccessEntries } from "./eks-access-entries";
import { eksControlPlaneLogging } from "./eks-control-plane-logging";
import { eksPrivateEndpoint } from "./eks-private-endpoint";
import { eksSecretsEncryption } from "./eks-secrets-encryption";

export const eksRules: Rule[] = [eksPrivateEndpoint, eksSecretsEncryption, eksControlPlaneLogging, eksAccessEntries];
