import { Rule } from "../../../compliance/rule";
import { confidentialAttestedKeyUsed } from "./attested-key-used";
import { kmsModelKeyAttestation } from "./model-key-attestation";
import { confidentialNodeGroupEnabled } from "./node-group-enabled";

export const confidentialRules: Rule[] = [confidentialNodeGroupEnabled, kmsModelKeyAttestation, confidentialAttestedKeyUsed];
