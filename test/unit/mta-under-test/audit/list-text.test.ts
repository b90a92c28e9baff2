/**
 * Reading a list's text: one address per line with blank lines and # comments skipped, or a
 * CSV with an email column (quoted fields, `;` separators); every entry keeps its line number.
 */
import { expect, test } from 'vitest';
import { readListText } from '../../../../mta-under-test/reference/audit/list-text.ts';

test('a plain list skips blank lines and comments and keeps line numbers', () => {
  // Act
  const list = readListText('\uFEFF# customers\nalice@gmail.com\n\n  bob@orange.fr  \r\n# end\n');
  // Assert
  expect(list).toEqual({
    format: 'lines',
    entries: [
      { line: 2, text: 'alice@gmail.com' },
      { line: 4, text: 'bob@orange.fr' },
    ],
    problems: [],
  });
});

test('a CSV with an email column yields that column', () => {
  // Act
  const list = readListText(
    'name,Email,city\n"Martin, Alice",alice@gmail.com,Paris\nBob,"bob@orange.fr",Lyon\nEve,,Nice\n',
  );
  // Assert
  expect(list.format).toBe('csv');
  expect(list.entries).toEqual([
    { line: 2, text: 'alice@gmail.com' },
    { line: 3, text: 'bob@orange.fr' },
  ]);
});

test('a semicolon CSV works, and a row without the email field is a named problem', () => {
  // Act
  const list = readListText('id;email\n1;alice@gmail.com\n2\n');
  // Assert
  expect(list.entries).toEqual([{ line: 2, text: 'alice@gmail.com' }]);
  expect(list.problems).toEqual(['line 3: has no field 2 (the email column)']);
});
