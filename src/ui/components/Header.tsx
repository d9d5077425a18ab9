import { Box, Text } from 'ink';
import { terminalLine } from '../../render/terminal-text.js';
import { type HeaderFacts, type HeaderPiece, headerLine } from '../header-line.js';

/** Props of Header. */
export interface HeaderProps extends Omit<HeaderFacts, 'badges' | 'enforcement'> {
  readonly title: string;
  readonly color: boolean;
  /** The terminal's width: the first line is fitted to it, never cut inside a count. */
  readonly width: number;
  /** Warnings about the snapshot itself (partial, unmodelled policies), shown first. */
  readonly badges?: HeaderFacts['badges'];
  /** Whether the network plugin enforces the policies, when that is not plainly so: shown first. */
  readonly enforcement?: HeaderFacts['enforcement'];
}

/** One piece of the first line, coloured (or, without colour, inverted) by its tone. */
function PieceText({ piece, color }: { readonly piece: HeaderPiece; readonly color: boolean }) {
  switch (piece.tone) {
    case 'title':
      return (
        <Text bold color={color ? 'cyan' : undefined}>
          {piece.text}
        </Text>
      );
    case 'alarm':
    case 'warning':
      return (
        <Text
          bold
          inverse={!color}
          color={color ? (piece.tone === 'alarm' ? 'red' : 'yellow') : undefined}
        >
          {piece.text}
        </Text>
      );
    case 'quiet':
      return <Text dimColor={color}>{piece.text}</Text>;
    case 'plain':
      return <Text>{piece.text}</Text>;
  }
}

/**
 * The top lines: where the data comes from, what is selected, how much there is, how fresh;
 * names in them are shown with their control characters escaped. Warning badges come right
 * after the program name; on a narrow terminal the line leaves out whole pieces (see
 * header-line.ts) rather than cut the counts.
 */
export function Header({ title, color, width, badges = [], enforcement, ...facts }: HeaderProps) {
  const pieces = headerLine({ ...facts, badges, enforcement }, width);
  return (
    <Box flexDirection="column">
      <Text wrap="truncate">
        {pieces.map((piece, index) => (
          <Text key={`${piece.tone}:${piece.text}`}>
            {index > 0 ? '  ' : ''}
            <PieceText piece={piece} color={color} />
          </Text>
        ))}
      </Text>
      <Text bold wrap="truncate">
        {terminalLine(title)}
      </Text>
    </Box>
  );
}
