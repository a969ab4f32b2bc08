// Check-in from an upright camera stream (480×640), with the tablet on its side and upright.
import { checkInInBothViewports } from './orientations';

checkInInBothViewports('portrait');
