// Check-in from a landscape camera stream (640×480), with the tablet on its side and upright.
import { checkInInBothViewports } from './orientations';

checkInInBothViewports('landscape');
