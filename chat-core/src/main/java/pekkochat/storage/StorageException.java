package pekkochat.storage;

import java.sql.SQLException;

/** A database call failed: the store is down or refused the statement. */
public final class StorageException extends RuntimeException {
  public StorageException(String message, SQLException cause) {
    super(message, cause);
  }
}
