// Jest's set-up file: the process zone every entry point sets (src/time/processZone.ts), for the modules tests
// import directly.
import { useUtcProcessZone } from '../../src/time/processZone.js';

useUtcProcessZone();
