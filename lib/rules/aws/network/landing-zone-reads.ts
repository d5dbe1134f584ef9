import { TfResource } from "../../../terraform/model";
import { postconditions } from "../../postconditions";

/**
 * Landing-zone resources the module reads through data sources rather than
 * manages (PrivateNetwork.fromVpcAttributes). A fact about them counts only
 * when a lifecycle postcondition makes the plan stop where it does not hold.
 */

/** The condition a landing zone's subnet is read with: the plan stops on a subnet that maps public IPs. */
export const PRIVATE_SUBNET_CONDITION = "self.map_public_ip_on_launch == false";
/**
 * The conditions a landing zone's endpoint is read with: it exists, is available and, for an interface endpoint, answers the service's own
 * name.
 */
export const ENDPOINT_AVAILABLE_CONDITION = 'self.state == "available"';
export const ENDPOINT_PRIVATE_DNS_CONDITION = "self.private_dns_enabled == true";
/**
 * The endpoint states a landing zone's endpoint is looked up among: the live ones (the provider's
 * vpcEndpointState* constants). A deleted, failed or rejected endpoint of the service is left out, so it cannot
 * make the lookup match two; a pending one is found, so the availability postcondition names what is wrong
 * instead of the provider's "no matching EC2 VPC Endpoint found".
 */
export const LIVE_ENDPOINT_STATES = ["available", "pending", "pendingAcceptance"] as const;

/** The VPC id a subnet read is pinned to by its postcondition `self.vpc_id == "vpc-..."`. */
export function pinnedVpcId(subnet: TfResource): string | undefined {
  for (const condition of postconditions(subnet)) {
    const match = /^self\.vpc_id=="(vpc-[0-9a-f]+)"$/.exec(condition);
    if (match) return match[1];
  }
  return undefined;
}
