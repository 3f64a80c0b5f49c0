/** Signature matrix for the sensor, localization and network faults (0x8…, 0x9…, 0xE…, 0xF…). */
import { faultMatrix } from './testing/fault-matrix.js';

faultMatrix('89EF');
