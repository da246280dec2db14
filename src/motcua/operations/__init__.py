"""Operations: metrics (/metrics), request lines, throttles in the shared store, busy database."""
