import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { nodeSetOf, toHex, type NetworkNode } from '#chain';
import { ValidatorNode } from '../node/validator-node.js';
import { NetworkNodesView, type NetworkNodeView } from './dto/network.dto.js';

/** JSON view of one node entry. */
export function networkNodeJson(nodeId: string, node: NetworkNode): NetworkNodeView {
  return {
    nodeId,
    organization: node.organization,
    role: node.status,
    consensusPublicKey: toHex(node.consensusPublicKey),
    spkiSha256: node.spkiSha256,
    p2pAddress: node.p2pAddress,
    apiUrl: node.apiUrl,
    sinceHeight: Number(node.sinceHeight),
  };
}

@ApiTags('network')
@Controller('v1/network')
export class NetworkController {
  constructor(@Inject(ValidatorNode) private readonly node: ValidatorNode) {}

  @Get('nodes')
  @ApiOperation({ summary: "The chain's node set at the head: voters, learners, observers and removed nodes" })
  @ApiOkResponse({ type: NetworkNodesView })
  nodes(): NetworkNodesView {
    const { state } = this.node.ledger;
    // Height and state are read in one synchronous step, so they describe the same block.
    const height = Number(this.node.ledger.height);
    const nodes = [...state.nodeIds()].sort().map((id) => networkNodeJson(id, state.node(id)!));
    return { height, votersSince: Number(nodeSetOf(state).votersSince), nodes };
  }
}
