/** The invented photographs of the benchmark corpus and the audit, for the tests. */
export { inventedPhoto } from '../bench/photo.js';
