package pekkochat.common;

/** Marker for messages and events serialized with Jackson CBOR between nodes and in the journal. */
public interface CborSerializable {}
