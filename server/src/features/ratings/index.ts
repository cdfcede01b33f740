/**
 * Ratings (V2, #5): the visitor rates their ended chat, thumbs up or down with an optional
 * comment; operators see it live (`rating:updated`) and when they open the chat (`rating:get`).
 */
import { defineFeature } from '../feature';
import './events';
import { operatorRatingCommands, visitorRatingCommands } from './handlers';

export const ratings = defineFeature({
  name: 'ratings',
  visitorCommands: visitorRatingCommands,
  operatorCommands: operatorRatingCommands,
});
