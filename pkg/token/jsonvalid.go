package token

// maxJSONNesting is encoding/json's nesting limit: deeper documents are
// invalid to json.Valid, and so to validJSON.
const maxJSONNesting = 10000

// validJSON reports whether b is exactly one JSON value (RFC 8259), with the
// same answer as encoding/json's Valid for every input (FuzzValidJSON holds
// the two together). It exists for speed: json.Valid drives a state machine
// through a function call per byte, which was the largest cost of parsing a
// token in `azid verify --stream`; this scans strings, the bulk of a token,
// in a tight loop.
//
// Like encoding/json, it does not require strings to be valid UTF-8.
func validJSON(b []byte) bool {
	_, ok := scanJSON(b)
	return ok
}

// scanJSON is validJSON that also counts the members (or elements) of the
// outermost object (or array), so a parser can size its storage once.
func scanJSON(b []byte) (members int, ok bool) {
	// stack holds the open containers, '{' or '['.
	var stackBuf [32]byte
	stack := stackBuf[:0]
	i := skipSpace(b, 0)
	const (
		wantValue = iota
		wantKey
		afterValue
	)
	state := wantValue
	for {
		switch state {
		case wantValue:
			if i >= len(b) {
				return 0, false
			}
			switch c := b[i]; {
			case c == '{' || c == '[':
				if len(stack) == maxJSONNesting {
					return 0, false
				}
				stack = append(stack, c)
				i = skipSpace(b, i+1)
				if i < len(b) && b[i] == c+2 { // '}' is '{'+2, ']' is '['+2
					stack = stack[:len(stack)-1]
					i++
					state = afterValue
				} else {
					if len(stack) == 1 {
						members = 1
					}
					if c == '{' {
						state = wantKey
					}
				}
				continue
			case c == '"':
				i = scanString(b, i)
			case c == '-' || '0' <= c && c <= '9':
				i = scanNumber(b, i)
			case c == 't':
				i = scanLiteral(b, i, "true")
			case c == 'f':
				i = scanLiteral(b, i, "false")
			case c == 'n':
				i = scanLiteral(b, i, "null")
			default:
				return 0, false
			}
			if i < 0 {
				return 0, false
			}
			state = afterValue
		case wantKey:
			if i >= len(b) || b[i] != '"' {
				return 0, false
			}
			if i = scanString(b, i); i < 0 {
				return 0, false
			}
			i = skipSpace(b, i)
			if i >= len(b) || b[i] != ':' {
				return 0, false
			}
			i = skipSpace(b, i+1)
			state = wantValue
		case afterValue:
			i = skipSpace(b, i)
			if len(stack) == 0 {
				return members, i == len(b)
			}
			if i >= len(b) {
				return 0, false
			}
			top := stack[len(stack)-1]
			switch b[i] {
			case ',':
				if len(stack) == 1 {
					members++
				}
				i = skipSpace(b, i+1)
				state = wantValue
				if top == '{' {
					state = wantKey
				}
			case top + 2:
				stack = stack[:len(stack)-1]
				i++
			default:
				return 0, false
			}
		}
	}
}

// scanString returns the index just past the string literal starting at
// b[i] == '"', or -1 if it is not a valid one.
func scanString(b []byte, i int) int {
	for j := i + 1; j < len(b); j++ {
		c := b[j]
		switch {
		case c == '"':
			return j + 1
		case c < 0x20:
			return -1
		case c == '\\':
			j++
			if j >= len(b) {
				return -1
			}
			switch b[j] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			case 'u':
				if j+4 >= len(b) || !isHex(b[j+1]) || !isHex(b[j+2]) || !isHex(b[j+3]) || !isHex(b[j+4]) {
					return -1
				}
				j += 4
			default:
				return -1
			}
		}
	}
	return -1
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// scanNumber returns the index just past the number starting at b[i], or -1.
func scanNumber(b []byte, i int) int {
	if b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case i < len(b) && '1' <= b[i] && b[i] <= '9':
		i = skipDigits(b, i+1)
	default:
		return -1
	}
	if i < len(b) && b[i] == '.' {
		j := skipDigits(b, i+1)
		if j == i+1 {
			return -1
		}
		i = j
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		j := skipDigits(b, i)
		if j == i {
			return -1
		}
		i = j
	}
	return i
}

func skipDigits(b []byte, i int) int {
	for i < len(b) && '0' <= b[i] && b[i] <= '9' {
		i++
	}
	return i
}

// scanLiteral returns the index just past lit at b[i], or -1.
func scanLiteral(b []byte, i int, lit string) int {
	if len(b)-i < len(lit) || string(b[i:i+len(lit)]) != lit {
		return -1
	}
	return i + len(lit)
}
