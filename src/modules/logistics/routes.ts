import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../platform/context.ts';
import { AppError, localeFrom } from '../../platform/errors/app-error.ts';
import { Body, errorResponses, IdParams, listOf, Uuid } from '../../http/schemas.ts';
import { createShipment, getShipmentDetail, listShipments, manifestCsv, readyToShip } from './shipments.ts';
import { answerDiscrepancy, bulkScan, confirmReceipt, listDiscrepancies, scanCard, setScanDamaged } from './receipt.ts';
import { activateCard, findCards, getCard, issueCard, issuePrefabricated, liftLoss, reportLoss, waitingForPickup } from './issuance.ts';
import { handoverSheet } from './handover.ts';
import { BULK_SCAN_MAX, scanFileLines, TEMP_LOSS_DAYS } from './rules.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Paging = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
};
const CardNoText = Type.String({ minLength: 1, maxLength: 64 });
/** A 20,000-line scan file, or its JSON list, is well above the usual 1 MiB body limit. */
const BULK_SCAN_BODY_LIMIT = 4 * 1024 * 1024;

const Summary = Type.Object({
  expected: Type.Integer(),
  matched: Type.Integer(),
  missing: Type.Integer(),
  unexpected: Type.Integer(),
  duplicates: Type.Integer(),
  damaged: Type.Integer(),
});
const Scan = Type.Object({ id: Type.String(), cardNo: Type.String(), result: Type.String(), damaged: Type.Boolean(), scannedAt: Type.String() });
const Shipment = Type.Object({
  id: Type.String(),
  shipmentNo: Type.String(),
  programmeId: Type.String(),
  programmeName: Type.String(),
  producerOrgId: Type.String(),
  producerName: Type.String(),
  receiverOrgId: Type.String(),
  receiverName: Type.String(),
  status: Type.String(),
  cardCount: Type.Integer(),
  scannedCount: Type.Integer(),
  carrier: Nullable(Type.String()),
  trackingNo: Nullable(Type.String()),
  shippedAt: Type.String(),
  receivedAt: Nullable(Type.String()),
  receivedByName: Nullable(Type.String()),
});
const ShipmentDetail = Type.Intersect([
  Shipment,
  Type.Object({
    items: Type.Array(Type.Object({ cardId: Type.String(), cardNo: Type.String(), cardStatus: Type.String(), scanned: Type.Boolean(), damaged: Type.Boolean() })),
    scans: Type.Array(Scan),
    summary: Summary,
  }),
]);
const ReadyGroup = Type.Object({
  receiverOrgId: Type.String(),
  receiverName: Type.String(),
  programmeId: Type.String(),
  programmeName: Type.String(),
  cardKind: Type.String(),
  count: Type.Integer(),
  cardIds: Type.Array(Type.String()),
  cardNos: Type.Array(Type.String()),
});
const Discrepancy = Type.Object({
  id: Type.String(),
  shipmentId: Type.String(),
  shipmentNo: Type.String(),
  producerName: Type.String(),
  receiverName: Type.String(),
  cardId: Nullable(Type.String()),
  cardNo: Type.String(),
  kind: Type.String(),
  status: Type.String(),
  openedAt: Type.String(),
  answer: Nullable(Type.String()),
  answeredAt: Nullable(Type.String()),
});
const Card = Type.Object({
  id: Type.String(),
  cardNo: Nullable(Type.String()),
  cardKind: Type.String(),
  status: Type.String(),
  mode: Type.String(),
  attemptNo: Type.Integer(),
  programmeId: Type.String(),
  programmeName: Type.String(),
  receiverOrgId: Type.String(),
  receiverName: Type.String(),
  producerName: Nullable(Type.String()),
  applicationId: Type.String(),
  applicationNo: Type.String(),
  applicationKind: Type.String(),
  applicationStatus: Type.String(),
  nameMasked: Type.String(),
  citizenIdMasked: Type.String(),
  phoneMasked: Type.String(),
  producedAt: Nullable(Type.String()),
  shippedAt: Nullable(Type.String()),
  receivedAt: Nullable(Type.String()),
  issuedAt: Nullable(Type.String()),
  socialActivatedAt: Nullable(Type.String()),
  financialActivatedAt: Nullable(Type.String()),
  lostTempUntil: Nullable(Type.String()),
  replacesCardId: Nullable(Type.String()),
});
const PrefabricatedWaiting = Type.Object({
  applicationId: Type.String(),
  applicationNo: Type.String(),
  programmeId: Type.String(),
  programmeName: Type.String(),
  nameMasked: Type.String(),
  citizenIdMasked: Type.String(),
  phoneMasked: Type.String(),
  status: Type.String(),
});
const FindAnswer = Type.Object({
  items: Type.Array(Card, { description: 'cards addressed to my counter' }),
  prefabricated: Type.Array(PrefabricatedWaiting, { description: 'MATCHED prefabricated applications at my outlet or bank branch with no card yet (issue-prefabricated)' }),
});
const CardDetail = Type.Intersect([
  Card,
  Type.Object({
    events: Type.Array(
      Type.Object({ seq: Type.Integer(), type: Type.String(), fromStatus: Nullable(Type.String()), toStatus: Type.String(), at: Type.String(), actorName: Nullable(Type.String()), details: Type.Unknown() }),
    ),
  }),
]);

export const logisticsRoutes = (ctx: AppContext): FastifyPluginAsyncTypebox => async (app) => {
  // ---- shipments (producer) ----
  app.get(
    '/api/v1/shipments/ready',
    { schema: { tags: ['shipments'], summary: "My producer's PRODUCED cards not shipped yet, per receiving organisation and programme", response: { 200: listOf(ReadyGroup), ...errorResponses } } },
    async (request) => ({ items: await readyToShip(ctx, request.principal!) }),
  );

  app.post(
    '/api/v1/shipments',
    {
      schema: {
        tags: ['shipments'],
        summary: 'Pack produced cards into a shipment to one receiver (cards → SHIPPED)',
        description:
          'Name the cards by cardIds or by cardNos (or both). Every card must be PRODUCED, made by my producer, addressed to receiverOrgId and of one programme; otherwise 409 SHIPMENT_CARDS_INVALID with details.cards [{cardId, cardNo, reason}] (reason NOT_FOUND, OTHER_PRODUCER, NOT_PRODUCED, OTHER_RECEIVER, OTHER_PROGRAMME, DUPLICATE) and nothing is shipped.',
        body: Body({
          receiverOrgId: Uuid,
          cardIds: Type.Optional(Type.Array(Uuid, { maxItems: 100_000 })),
          cardNos: Type.Optional(Type.Array(CardNoText, { maxItems: 100_000 })),
          carrier: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
          trackingNo: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
        }),
        response: { 201: ShipmentDetail, ...errorResponses },
      },
    },
    async (request, reply) => {
      const row = await createShipment(ctx, request.principal!, request.body);
      request.auditTarget = { type: 'shipment', id: row.id };
      request.auditDetails = { shipmentNo: row.shipmentNo, receiverOrgId: row.receiverOrgId, cardCount: row.cardCount };
      return reply.code(201).send(await getShipmentDetail(ctx, request.principal!, row.id));
    },
  );

  app.get(
    '/api/v1/shipments',
    {
      schema: {
        tags: ['shipments'],
        summary: 'Shipments I may see (producer: mine; outlet or bank: addressed to me; authority: its programmes), newest first',
        querystring: Type.Object(
          { status: Type.Optional(Type.Union([Type.Literal('SHIPPED'), Type.Literal('RECEIVED')])), direction: Type.Optional(Type.Union([Type.Literal('incoming'), Type.Literal('outgoing')])), ...Paging },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(Shipment), total: Type.Integer() }), ...errorResponses },
      },
    },
    async (request) => listShipments(ctx, request.principal!, request.query),
  );

  app.get(
    '/api/v1/shipments/:id',
    { schema: { tags: ['shipments'], summary: 'A shipment with its manifest, the scans so far and the receipt summary', params: IdParams, response: { 200: ShipmentDetail, ...errorResponses } } },
    async (request) => getShipmentDetail(ctx, request.principal!, request.params.id),
  );

  app.get(
    '/api/v1/shipments/:id/manifest.csv',
    { schema: { tags: ['shipments'], summary: 'The manifest as text/csv (shipment_no,card_no,card_status)', params: IdParams, response: { 200: Type.String(), ...errorResponses } } },
    async (request, reply) => {
      const { shipmentNo, csv } = await manifestCsv(ctx, request.principal!, request.params.id);
      return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="manifest-${shipmentNo}.csv"`).send(csv);
    },
  );

  app.get(
    '/api/v1/shipments/:id/handover.pdf',
    {
      schema: {
        tags: ['shipments'],
        summary: 'The handover sheet to print and sign (application/pdf)',
        description: 'Shipment facts, every card number with its check result once received (an empty box to tick before), and signature lines for both sides. No personal data. Language from Accept-Language (zh-CN default, en-US).',
        params: IdParams,
        response: { 200: Type.Unknown({ description: 'application/pdf' }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const { shipmentNo, pdf } = await handoverSheet(ctx, request.principal!, request.params.id, localeFrom(request.headers['accept-language']));
      return reply.type('application/pdf').header('content-disposition', `attachment; filename="handover-${shipmentNo}.pdf"`).header('cache-control', 'no-store').send(pdf);
    },
  );

  // ---- receipt (receiving outlet or bank branch) ----
  app.post(
    '/api/v1/shipments/:id/scans',
    {
      schema: {
        tags: ['receipt'],
        summary: 'Record one scanned or typed card number (trimmed, upper-cased) against the manifest',
        description: 'Answers result MATCHED (on the manifest, first time), UNEXPECTED (not on the manifest) or DUPLICATE (seen before) and the running summary. Only the receiving organisation; 409 SHIPMENT_ALREADY_RECEIVED after confirmation.',
        params: IdParams,
        body: Body({ cardNo: CardNoText, damaged: Type.Optional(Type.Boolean()) }),
        response: { 200: Type.Object({ scan: Scan, result: Type.String(), summary: Summary }), ...errorResponses },
      },
    },
    async (request) => {
      request.auditTarget = { type: 'shipment', id: request.params.id };
      const out = await scanCard(ctx, request.principal!, request.params.id, request.body);
      request.auditDetails = { cardNo: out.scan.cardNo, result: out.result };
      return out;
    },
  );

  app.post(
    '/api/v1/shipments/:id/scans/bulk',
    {
      bodyLimit: BULK_SCAN_BODY_LIMIT,
      schema: {
        tags: ['receipt'],
        summary: `Record many scans at once: JSON {cardNos} or text/plain with one card number per line (at most ${BULK_SCAN_MAX})`,
        description:
          'Each card number is read like a typed scan (trimmed, upper-cased) and classified in order exactly as single scans would be, against the manifest and the scans already recorded. ' +
          'All or nothing: a line that is not a card number answers 400 SCAN_BULK_INVALID with details.lines [{line, text}] (blank lines of a text file are skipped). ' +
          'Answers the counts of this request, its unexpected card numbers and the running summary.',
        params: IdParams,
        body: Type.Union([Body({ cardNos: Type.Array(CardNoText, { minItems: 1, maxItems: BULK_SCAN_MAX }) }), Type.String({ maxLength: BULK_SCAN_BODY_LIMIT })]),
        response: {
          200: Type.Object({
            added: Type.Integer(),
            matched: Type.Integer(),
            unexpected: Type.Integer(),
            duplicates: Type.Integer(),
            unexpectedCardNos: Type.Array(Type.String()),
            summary: Summary,
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      request.auditTarget = { type: 'shipment', id: request.params.id };
      const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      let out;
      if (type === 'text/plain' && typeof request.body === 'string') {
        out = await bulkScan(ctx, request.principal!, request.params.id, scanFileLines(request.body), { skipBlank: true });
      } else if (type === 'application/json' && typeof request.body === 'object') {
        out = await bulkScan(ctx, request.principal!, request.params.id, request.body.cardNos);
      } else throw new AppError('UNSUPPORTED_MEDIA_TYPE');
      request.auditDetails = { format: type, added: out.added, matched: out.matched, unexpected: out.unexpected, duplicates: out.duplicates };
      return out;
    },
  );

  app.patch(
    '/api/v1/shipments/:id/scans/:scanId',
    {
      schema: {
        tags: ['receipt'],
        summary: 'Mark a matched card damaged, or not, before confirming receipt',
        params: Type.Object({ id: Uuid, scanId: Uuid }, { additionalProperties: false }),
        body: Body({ damaged: Type.Boolean() }),
        response: { 200: Type.Object({ scan: Scan, summary: Summary }), ...errorResponses },
      },
    },
    async (request) => {
      request.auditTarget = { type: 'shipment', id: request.params.id };
      request.auditDetails = { scanId: request.params.scanId, damaged: request.body.damaged };
      return setScanDamaged(ctx, request.principal!, request.params.id, request.params.scanId, request.body.damaged);
    },
  );

  app.post(
    '/api/v1/shipments/:id/confirm',
    {
      schema: {
        tags: ['receipt'],
        summary: 'Confirm receipt: scanned cards RECEIVED (applications READY, holders notified), damaged DAMAGED, unscanned MISSING; discrepancies opened',
        params: IdParams,
        response: {
          200: Type.Intersect([ShipmentDetail, Type.Object({ outcome: Type.Object({ received: Type.Integer(), damaged: Type.Integer(), missing: Type.Integer(), unexpected: Type.Integer() }) })]),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      request.auditTarget = { type: 'shipment', id: request.params.id };
      const out = await confirmReceipt(ctx, request.principal!, request.params.id);
      request.auditDetails = { shipmentNo: out.shipmentNo, ...out.outcome };
      return out;
    },
  );

  app.get(
    '/api/v1/discrepancies',
    {
      schema: {
        tags: ['receipt'],
        summary: 'Damaged, missing and unexpected cards found on receipt, open ones first',
        querystring: Type.Object(
          { status: Type.Optional(Type.Union([Type.Literal('OPEN'), Type.Literal('ANSWERED')])), shipmentId: Type.Optional(Uuid), ...Paging },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(Discrepancy), total: Type.Integer() }), ...errorResponses },
      },
    },
    async (request) => listDiscrepancies(ctx, request.principal!, request.query),
  );

  app.post(
    '/api/v1/discrepancies/:id/answer',
    {
      schema: {
        tags: ['receipt'],
        summary: 'The producer of the shipment answers a discrepancy (once)',
        params: IdParams,
        body: Body({ answer: Type.String({ minLength: 2, maxLength: 500 }) }),
        response: { 200: Type.Object({ id: Type.String(), status: Type.String(), answer: Nullable(Type.String()), answeredAt: Nullable(Type.String()) }), ...errorResponses },
      },
    },
    async (request) => {
      request.auditTarget = { type: 'discrepancy', id: request.params.id };
      return answerDiscrepancy(ctx, request.principal!, request.params.id, request.body.answer.trim());
    },
  );

  // ---- issuance at the counter ----
  app.get(
    '/api/v1/cards/waiting',
    {
      schema: {
        tags: ['issuance'],
        summary: 'Cards received at my counter and waiting for their holders, longest waiting first (masked holder data)',
        querystring: Type.Object(
          { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })), offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(Card), total: Type.Integer() }), ...errorResponses },
      },
    },
    async (request) => waitingForPickup(ctx, request.principal!, request.query),
  );

  app.get(
    '/api/v1/cards/find',
    {
      schema: {
        tags: ['issuance'],
        summary: 'Cards at my counter, and prefabricated applications waiting for a card, for an application number (masked holder data)',
        querystring: Type.Object({ applicationNo: Type.String({ minLength: 1, maxLength: 40 }) }, { additionalProperties: false }),
        response: { 200: FindAnswer, ...errorResponses },
      },
    },
    async (request) => {
      request.auditTarget = { type: 'application', id: null };
      const found = await findCards(ctx, request.principal!, { applicationNo: request.query.applicationNo });
      request.auditDetails = { by: 'applicationNo', applicationNo: request.query.applicationNo, found: found.items.length, prefabricated: found.prefabricated.length };
      return found;
    },
  );

  app.post(
    '/api/v1/cards/find',
    {
      schema: {
        tags: ['issuance'],
        summary: "Cards at my counter, and prefabricated applications waiting for a card, for a holder's citizen ID number (blind index; masked holder data)",
        description: 'A POST so the ID number never appears in a URL or an access log.',
        body: Body({ citizenId: Type.String({ minLength: 1, maxLength: 20 }) }),
        response: { 200: FindAnswer, ...errorResponses },
      },
    },
    async (request) => {
      request.auditTarget = { type: 'application', id: null };
      const found = await findCards(ctx, request.principal!, { citizenId: request.body.citizenId });
      request.auditDetails = { by: 'citizenId', found: found.items.length, prefabricated: found.prefabricated.length };
      return found;
    },
  );

  app.get('/api/v1/cards/:id', { schema: { tags: ['issuance'], summary: 'A card with its event timeline', params: IdParams, response: { 200: CardDetail, ...errorResponses } } }, async (request) =>
    getCard(ctx, request.principal!, request.params.id),
  );

  app.post(
    '/api/v1/cards/:id/issue',
    {
      schema: {
        tags: ['issuance'],
        summary: "Hand a RECEIVED card over (card and application ISSUED; the holder's earlier card of the programme is cancelled)",
        params: IdParams,
        body: Body({
          identityChecked: Type.Boolean({ description: 'must be true: the clerk checked the identity document' }),
          collectedBy: Type.Union([Type.Literal('HOLDER'), Type.Literal('AGENT')]),
          agentName: Type.Optional(Nullable(Type.String({ maxLength: 50 }))),
        }),
        response: { 200: CardDetail, ...errorResponses },
      },
    },
    async (request) => {
      request.auditTarget = { type: 'card', id: request.params.id };
      request.auditDetails = { collectedBy: request.body.collectedBy };
      return issueCard(ctx, request.principal!, request.params.id, request.body);
    },
  );

  app.post(
    '/api/v1/cards/:id/activate',
    {
      schema: {
        tags: ['issuance'],
        summary: 'Record social or financial activation of an issued social security card (a second activation changes nothing)',
        params: IdParams,
        body: Body({ function: Type.Union([Type.Literal('SOCIAL'), Type.Literal('FINANCIAL')]) }),
        response: { 200: CardDetail, ...errorResponses },
      },
    },
    async (request) => {
      request.auditTarget = { type: 'card', id: request.params.id };
      request.auditDetails = { function: request.body.function };
      return activateCard(ctx, request.principal!, request.params.id, request.body.function);
    },
  );

  app.post(
    '/api/v1/cards/:id/loss',
    {
      schema: {
        tags: ['issuance'],
        summary: `Report an issued card lost: TEMP (held ${TEMP_LOSS_DAYS} days unless days is given, can be lifted) or FORMAL (final)`,
        params: IdParams,
        body: Body({ kind: Type.Union([Type.Literal('TEMP'), Type.Literal('FORMAL')]), days: Type.Optional(Type.Integer({ minimum: 1, maximum: 90 })) }),
        response: { 200: CardDetail, ...errorResponses },
      },
    },
    async (request) => {
      request.auditTarget = { type: 'card', id: request.params.id };
      request.auditDetails = { kind: request.body.kind };
      return reportLoss(ctx, request.principal!, request.params.id, request.body);
    },
  );

  app.post(
    '/api/v1/cards/:id/lift-loss',
    { schema: { tags: ['issuance'], summary: 'Lift a temporary loss (the card is ISSUED again); a formal loss cannot be lifted', params: IdParams, response: { 200: CardDetail, ...errorResponses } } },
    async (request) => {
      request.auditTarget = { type: 'card', id: request.params.id };
      return liftLoss(ctx, request.principal!, request.params.id);
    },
  );

  app.post(
    '/api/v1/applications/:id/issue-prefabricated',
    {
      schema: {
        tags: ['issuance'],
        summary: 'Issue a prefabricated social security card (预制卡) personalised at my counter for a MATCHED PREFABRICATED application',
        params: IdParams,
        body: Body({
          cardNo: CardNoText,
          chipUid: Type.String({ minLength: 1, maxLength: 64 }),
          identityChecked: Type.Optional(Type.Boolean({ description: 'when sent it must be true (the clerk checked the identity document); the console always sends it' })),
        }),
        response: { 201: CardDetail, ...errorResponses },
      },
    },
    async (request, reply) => {
      request.auditTarget = { type: 'application', id: request.params.id };
      const card = await issuePrefabricated(ctx, request.principal!, request.params.id, request.body);
      request.auditDetails = { cardId: card.id, identityChecked: request.body.identityChecked ?? null };
      return reply.code(201).send(card);
    },
  );
};
