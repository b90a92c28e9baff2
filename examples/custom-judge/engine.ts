/**
 * The same policy for the command line and CI:
 *   npx mailbench run b2b-bogus-bounces --engine ./engine.ts
 */
import { reference } from 'mailbench';
import { doubtGatewayUnknownUsers } from './policy.ts';

export default reference({ name: 'doubt-gateways', policy: doubtGatewayUnknownUsers });
