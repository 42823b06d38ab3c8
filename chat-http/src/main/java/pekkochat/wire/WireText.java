package pekkochat.wire;

/** Strings from clients as PROTOCOL.md counts them: a character is a Unicode code point. */
public final class WireText {
  private WireText() {}

  /** Length in characters, a surrogate pair (an emoji, say) being one. */
  public static int characters(String text) {
    return text.codePointCount(0, text.length());
  }

  /**
   * No lone surrogate: a JSON escape such as {@code \ud800} decodes to half a character, which no
   * UTF-8 encoder can write (Java's replaces it with '?', others refuse the whole text).
   */
  public static boolean isWellFormed(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  /** Any C0 or C1 control character, newline and tab included: none belongs in a one-line name. */
  public static boolean hasControlCharacter(String text) {
    return text.chars().anyMatch(Character::isISOControl);
  }
}
