"""What the fuzz tests send: text no form of the site would send, among answers it would."""

from hypothesis import strategies as st

from advice.flow import STEPS

nasty_text = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["yes", "no", "unsure", "", "\x00", "yes\x00", "check", "done", "../"]),
    st.sampled_from([step.name for step in STEPS]),
    st.just("x" * 10_000),
)
