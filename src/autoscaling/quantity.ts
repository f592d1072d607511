export { quantityString } from '../core/quantity';
