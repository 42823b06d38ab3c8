package pekkochat.storage;

import java.sql.Connection;
import java.sql.SQLException;

/** One unit of JDBC work on a borrowed connection. */
@FunctionalInterface
public interface SqlWork<T> {
  T apply(Connection connection) throws SQLException;
}
