import { Rule } from "../../../compliance/rule";
import { confidentialAttestedKeyUsed } from "./confidential-attested-key-used";
import { kmsModelKeyAttestation } from "./kms-model-key-attestation";
import { confidentialNodeGroupEnabled } from "./confidential-node-group-enabled";

export const confidentialRules: Rule[] = [confidentialNodeGroupEnabled, kmsModelKeyAttestation, confidentialAttestedKeyUsed];
