// Unit tests run in Node: give them an IndexedDB like the tablet's.
import 'fake-indexeddb/auto';
