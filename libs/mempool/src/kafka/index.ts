export * from './offset-tracker.js';
export * from './ingress-records.js';
export * from './kafka-ingress.js';
