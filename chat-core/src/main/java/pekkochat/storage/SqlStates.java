package pekkochat.storage;

import java.sql.SQLException;

/** Standard SQLSTATE codes that H2 and PostgreSQL both report. */
final class SqlStates {
  private static final String UNIQUE_VIOLATION = "23505";

  private SqlStates() {}

  static boolean isUniqueViolation(SQLException e) {
    return UNIQUE_VIOLATION.equals(e.getSQLState());
  }
}
