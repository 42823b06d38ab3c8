package pekkochat.room;

import pekkochat.fanout.NodeRelay;

/**
 * Only for PackageMapTest: a class of the room package that uses fan-out's relay, which closes
 * the cycle room -> fanout -> room that the package map forbids. Test code, never in the node.
 */
final class DeliberateCycleFixture {
  NodeRelay.Command relayCommand;
}
