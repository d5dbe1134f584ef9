import { Rule } from "../../../compliance/rule";
import { kmsModelKeyAttestation } from "./model-key-attestation";
import { confidentialNodeGroupEnabled } from "./node-group-enabled";

export const confidentialRules: Rule[] = [confidentialNodeGroupEnabled, kmsModelKeyAttestation];
