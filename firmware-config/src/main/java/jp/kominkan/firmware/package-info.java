/** Site and device profiles and installer tooling: arrives with the signed-grants issue. */
package jp.kominkan.firmware;
