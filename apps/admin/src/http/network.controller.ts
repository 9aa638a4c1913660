import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, type PipeTransform } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBody, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { HttpAccordError } from '#common';
import type { AdminServices } from '../admin-services.js';
import type { Principal } from '../auth/principal.js';
import { ApiErrors, CurrentPrincipal, LoggedIn } from './api-decorators.js';
import { AddNodeDto, NetworkNodesDto, NodeChangeDto } from './dto/network.dto.js';
import { NODE_ID_PATTERN } from './dto/register.dto.js';
import { ADMIN_SERVICES } from './tokens.js';
import { validated } from './validated.js';

/** Turns a malformed node id in the path into 400 `NODE_ID_INVALID`. */
const nodeIdParam: PipeTransform<string, string> = {
  transform: (value) => {
    if (!NODE_ID_PATTERN.test(value)) throw new HttpAccordError(400, 'NODE_ID_INVALID', 'the node id in the path must be 1-64 letters, digits, ".", "_" or "-"');
    return value;
  },
};

const REFUSALS = '409: NODE_CHANGE_PENDING, QUORUM_AT_RISK, LEARNER_BEHIND, LAST_VOTER, NODE_UNKNOWN, NODE_NOT_LEARNER, NODE_EXISTS, NODE_REMOVED, GENESIS_NOT_READY; a validator\'s own refusal keeps its code and 4xx status; 503 VALIDATORS_UNREACHABLE when no validator reports the node set.';

@ApiTags('network')
@Controller('v1/network/nodes')
@LoggedIn()
export class NetworkController {
  constructor(@Inject(ADMIN_SERVICES) private readonly services: AdminServices) {}

  @Get()
  @ApiOperation({ summary: "The chain's node set, as the most advanced reachable validator reports it, with each node's last polled status" })
  @ApiOkResponse({ type: NetworkNodesDto })
  @ApiErrors(409)
  view(): Promise<NetworkNodesDto> {
    return this.services.network.view();
  }

  @Post()
  @HttpCode(202)
  @ApiOperation({ summary: 'Add an enrolled validator to the network as a learner or observer (NODE_ADD)', description: REFUSALS })
  @ApiAcceptedResponse({ type: NodeChangeDto })
  @ApiErrors(400, 404, 409, 422)
  @ApiBody({ type: AddNodeDto })
  add(@CurrentPrincipal() principal: Principal, @Body(validated(AddNodeDto)) body: AddNodeDto): Promise<NodeChangeDto> {
    return this.services.network.add(principal.username, body.nodeId, body.role);
  }

  @Post(':nodeId/promote')
  @HttpCode(202)
  @ApiOperation({ summary: 'Promote a learner to voter (NODE_PROMOTE)', description: REFUSALS })
  @ApiParam({ name: 'nodeId', type: String })
  @ApiAcceptedResponse({ type: NodeChangeDto })
  @ApiErrors(400, 409, 422)
  promote(@CurrentPrincipal() principal: Principal, @Param('nodeId', nodeIdParam) nodeId: string): Promise<NodeChangeDto> {
    return this.services.network.promote(principal.username, nodeId);
  }

  @Delete(':nodeId')
  @HttpCode(202)
  @ApiOperation({ summary: 'Remove a voter, learner or observer from the network for good (NODE_REMOVE)', description: REFUSALS })
  @ApiParam({ name: 'nodeId', type: String })
  @ApiAcceptedResponse({ type: NodeChangeDto })
  @ApiErrors(400, 409, 422)
  remove(@CurrentPrincipal() principal: Principal, @Param('nodeId', nodeIdParam) nodeId: string): Promise<NodeChangeDto> {
    return this.services.network.remove(principal.username, nodeId);
  }
}
